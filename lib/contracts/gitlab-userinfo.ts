import { z } from "zod";

/**
 * What GitLab's /oauth/userinfo answers with scopes `openid profile email` (reference: gitlab.md §5):
 * `sub` is the GitLab user id, `nickname` the username, `groups` every group's full path the user
 * belongs to directly or through an ancestor.
 */
export const ZGitlabUserinfo = z.object({
  sub: z.string().min(1),
  nickname: z.string().min(1).optional(),
  preferred_username: z.string().min(1).optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  picture: z.string().nullish(),
  groups: z.array(z.string()).default([]),
});
export type TGitlabUserinfo = z.infer<typeof ZGitlabUserinfo>;
