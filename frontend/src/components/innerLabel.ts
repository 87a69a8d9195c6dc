/**
 * `v-inner-label`: names a control that a library component draws inside itself and offers no
 * prop for (Element Plus's page-size select in a pager, Vant's file input in an uploader), so a
 * screen reader says what it is. Only an `aria-label` is set; nothing else is touched.
 */
import type { Directive } from 'vue'

export interface InnerLabel {
  /** the inner control(s), found under the component's root */
  selector: string
  label: string
}

function apply(root: HTMLElement, { selector, label }: InnerLabel): void {
  root.querySelectorAll(selector).forEach((control) => {
    if (control.getAttribute('aria-label') !== label) control.setAttribute('aria-label', label)
  })
}

export const vInnerLabel: Directive<HTMLElement, InnerLabel> = {
  mounted: (root, binding) => apply(root, binding.value),
  updated: (root, binding) => apply(root, binding.value),
}
