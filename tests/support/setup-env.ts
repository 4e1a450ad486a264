import { inject } from "vitest";

// Every test file talks to the run's own database through the normal configuration path.
process.env.DATABASE_URL = inject("databaseUrl");
Object.assign(process.env, { NODE_ENV: "test" });
