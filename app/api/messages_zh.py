"""Chinese for the messages people see in errors; ``{name}`` parts are carried over.

The API answers in the caller's language: Accept-Language first, then the user's own
setting. A message without a translation here is shown in English.
"""

from __future__ import annotations

import re

ZH = {
    "Please log in.": "请先登录。",
    "Wrong username or password.": "用户名或密码错误。",
    "Too many failed attempts: this account is locked for a while.": "失败次数过多，账号已暂时锁定。",
    "This username exists in several tenants: say which one.": "该用户名存在于多个租户，请指定租户。",
    "Required for this username.": "此用户名需要指定租户。",
    "Missing or wrong CSRF token: send the gs_csrf cookie's value in X-CSRF-Token.": "缺少或错误的 CSRF 令牌，请刷新页面后重试。",
    "You need the permission '{permission}' for this.": "需要权限“{permission}”才能执行此操作。",
    "No {name} with id {id}.": "找不到编号为 {id} 的{name}。",
    "No record with id {id}.": "找不到编号为 {id} 的记录。",
    "Not found.": "未找到。",
    "The request could not be read.": "无法读取请求。",
    "The body is not valid JSON.": "请求体不是有效的 JSON。",
    "The request body is too large.": "请求体过大。",
    "This method is not allowed here.": "此处不允许该操作。",
    "Some fields are not valid.": "部分字段无效。",
    "Some fields are not valid: {rest}": "部分字段无效：{rest}",
    "Something went wrong on our side.": "服务器出现错误，请稍后再试。",
    "Unknown field.": "未知字段。",
    "Some rows are not valid.": "部分明细行有误。",
    "Must be an object.": "必须是一行数据。",
    "At most {n} characters.": "最多 {n} 个字符。",
    "Not one of the options.": "不是可选项。",
    "Not in the expected format.": "格式不正确。",
    "At most {n} items.": "最多 {n} 项。",
    "Each item may appear once.": "每项只能出现一次。",
    "Missing data for required field.": "必填项缺失。",
    "Field may not be null.": "不能为空。",
    "Not a valid integer.": "不是有效的整数。",
    "Not a valid email address.": "不是有效的邮箱地址。",
    "Not a valid string.": "不是有效的文本。",
    "Not a valid boolean.": "不是有效的是/否值。",
    "This field is required.": "此项为必填。",
    "Must be text.": "必须是文本。",
    "Must be a number.": "必须是数字。",
    "Must be a whole number.": "必须是整数。",
    "Must be a finite number.": "必须是有限的数字。",
    "The number is too large.": "数字过大。",
    "At most {n} decimal places.": "最多 {n} 位小数。",
    "Must be at least {n}.": "不能小于 {n}。",
    "Must be at most {n}.": "不能大于 {n}。",
    "Not a date: use YYYY-MM-DD.": "日期格式错误，请使用 YYYY-MM-DD。",
    "Not a date and time: use ISO 8601.": "日期时间格式错误，请使用 ISO 8601。",
    "Not a time: use HH:MM.": "时间格式错误，请使用 HH:MM。",
    "'{text}' is not one of the options.": "“{text}”不是可选项。",
    "Must be a list of options.": "必须是选项列表。",
    "Must be yes or no.": "必须是“是”或“否”。",
    "Not a phone number.": "不是有效的电话号码。",
    "Not an email address.": "不是有效的邮箱地址。",
    "Must be an id or a name.": "必须是编号或名称。",
    "No match for '{text}'.": "找不到“{text}”。",
    "No uploaded file with id {id}.": "找不到编号为 {id} 的已上传文件。",
    "Another record already has this {field}.": "已有其他记录使用了相同的{field}。",
    "'{value}' is already used.": "“{value}”已被使用。",
    "Somebody changed this record after you read it.": "记录已被他人修改，请刷新后再保存。",
    "Publish this form before entering records.": "请先发布表单，再录入数据。",
    "Publish this rule before running it.": "请先发布规则，再运行。",
    "The form definition is not valid.": "表单定义有误。",
    "The rule is not valid.": "预警规则有误。",
    "This change would lose or corrupt data.": "此修改会丢失或损坏数据，已拒绝。",
    "This username is taken.": "用户名已被占用。",
    "Already in use.": "已被使用。",
    "This role code is taken.": "角色编码已被占用。",
    "This form key is taken.": "表单标识已被占用。",
    "This app key is taken.": "应用标识已被占用。",
    "This rule key is taken.": "规则标识已被占用。",
    "The password is too short.": "密码太短。",
    "At least {n} characters.": "至少 {n} 个字符。",
    "You cannot delete yourself.": "不能删除自己。",
    "You cannot deactivate yourself.": "不能停用自己。",
    "This department has sub-departments: move or delete them first.": "该部门下还有子部门，请先移动或删除。",
    "This department still has users: move them first.": "该部门下还有用户，请先调走。",
    "A department cannot sit below itself.": "部门不能挂在自己下面。",
    "Choose a file to import.": "请选择要导入的文件。",
    "Choose a file.": "请选择文件。",
    "Upload an xlsx, xls, ods or csv file.": "请上传 xlsx、xls、ods 或 csv 文件。",
    "This file is not a spreadsheet GreenShelf can read.": "无法读取该表格文件。",
    "Some columns do not match a field.": "部分列无法对应到字段。",
    "No field with this name or key; map or drop it.": "没有同名字段，请映射或删除该列。",
    "Upsert needs a key field.": "按键更新需要指定唯一字段。",
    "Someone else has claimed this to-do.": "该待办已被他人认领。",
    "This to-do is done already.": "该待办已完成。",
    "Not a cron expression (e.g. '0 2 * * *').": "不是有效的 cron 表达式（如 '0 2 * * *'）。",
    "The task queue cannot be reached: {error}": "无法连接任务队列：{error}",
    "This task is already closed ({status}); nothing was changed.": "该任务已处理（{status}），本次操作未生效。",
    "Someone else acted on this flow at the same moment; nothing of yours was saved. Reload it and try again.": "他人刚刚同时处理了此流程，您的操作未保存，请刷新后重试。",
    "This flow changed since you opened it; reload it and decide again.": "流程在您打开后已有变化，请刷新后重新审批。",
    "This flow is already {status}.": "该流程已结束（{status}）。",
    "This task is assigned to someone else.": "该任务不属于您。",
    "This is the first approval step: there is nothing to return to. Reject it instead.": "这是第一个审批节点，无法退回，请改为拒绝。",
    "Transfer to someone else.": "请转交给其他人。",
    "That person already holds this task.": "此人已是该节点的审批人。",
    "Say who takes the task over.": "请选择转交对象。",
    "No such active user.": "没有该在职用户。",
    "This record is already in a running flow.": "该记录已有进行中的流程。",
    "Deploy this flow before starting it.": "请先发布此流程再发起。",
    "Only the people in this flow can see it.": "只有流程参与人可以查看。",
    "A copy has nothing to decide.": "抄送无需审批。",
}
NAMES_ZH = {
    "user": "用户",
    "department": "部门",
    "role": "角色",
    "token": "令牌",
    "app": "应用",
    "form": "表单",
    "rule": "规则",
    "alert": "预警",
    "file": "文件",
    "import": "导入任务",
    "audit entry": "审计记录",
    "worker check": "后台任务检查",
    "to-do": "待办",
    "notification": "消息",
}


def _compile(template: str) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", template)
    regex = "".join(
        f"(?P<{p[1:-1]}>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts
    )
    return re.compile(f"^{regex}$", re.S)


_PATTERNS = [(_compile(en), zh) for en, zh in ZH.items() if "{" in en]


def to_chinese(text: str) -> str:
    if text in ZH:
        return ZH[text]
    for pattern, zh in _PATTERNS:
        match = pattern.match(text)
        if match:
            values = {
                k: NAMES_ZH.get(v, to_chinese(v) if k == "rest" else v)
                for k, v in match.groupdict().items()
            }
            return zh.format(**values)
    if ": " in text:  # "field: message" pairs keep the field and translate the message
        head, _, tail = text.partition(": ")
        translated = to_chinese(tail)
        if translated != tail:
            return f"{head}: {translated}"
    return text
