// GET|POST /api/auth/* — next-auth sign-in, callback and sign-out (who: anyone; rate-limited, next-auth CSRF token).
import { handleAuthRequest } from "@/lib/auth/handle-auth-request";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export { handleAuthRequest as GET, handleAuthRequest as POST };
