/** Usual outcomes of a near-expiry to-do (FEFO, promotion, staff sale, donation, return, write-off). */
export const RESULT_PICKS = ['fefo', 'promotion', 'staff_sale', 'donation', 'supplier_return', 'transfer', 'write_off'] as const
