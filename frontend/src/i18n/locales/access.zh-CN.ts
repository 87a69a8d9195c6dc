/** 中文：由名称生成的标识（“高级”）、出站白名单，以及无权打开时的说明（并入 zh-CN）。 */
export default {
  keys: {
    advanced: '高级',
    key: '标识',
    placeholder: '留空则按名称自动生成',
    hint: '供接口、导出与集成使用的英文标识：小写字母开头，仅含小写字母、数字和下划线。创建后不可修改。',
  },
  allowlist: {
    title: '出站白名单',
    intro: '连接器默认不得访问内网、回环等私有地址。在此列出允许访问的主机或网段（如 10.0.0.8、10.0.0.0/24、erp.internal）。',
    fromEnvironment: '部署配置（GS_OUTBOUND_ALLOWLIST）中已允许：',
    noneFromEnvironment: '部署配置中未允许任何私有地址。',
    entry: '主机或网段',
    note: '说明',
    notePlaceholder: '例如：金蝶 ERP 服务器',
    add: '添加一行',
    empty: '尚未添加任何地址。',
    saved: '白名单已保存',
    remove: '删除此行',
  },
  noAccess: {
    page: '您没有使用此页面的权限。如需使用，请联系管理员为您的角色开通。',
    title: '无法打开',
    record: '您没有查看这条记录的权限，或该记录已被删除。如需处理，请联系表单管理员为您开通权限。',
    task: '这项任务已不存在、已被他人处理，或不再分配给您。',
    back: '返回',
  },
}
