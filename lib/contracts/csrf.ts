/** The header every state-changing browser request must carry; a cross-site form cannot set it without a CORS preflight. */
export const csrfHeader = "x-custody-request";
