/** Environment names treated as production on the overview and in findings. */
export const productionEnvironments = ["production", "prod", "prd", "live"];
