// POST /functions/v1/materials-upload (multipart/form-data: team_id, file; or ?team_id= and file) -> 201 {material}
// Who and where are checked before the body is read (403 not a member, 404 no such team, 413 declared too
// large); then 413 over 10 MB or over the team's or organization's cap, 415 unsupported type, 422 unreadable
// file, 429 no material summaries left this month.
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { admitUpload, parseUpload, uploadMaterial } from "../_shared/domain/material_intake.ts";

const handler = createHandler({ name: "materials-upload", methods: ["POST"] }, async ({ request, url }) => {
  const caller = await authenticate(request);
  await admitUpload(caller, request, url);
  const upload = await parseUpload(request, url);
  const material = await uploadMaterial(caller, upload);
  return json({ material }, 201);
});

export default { fetch: handler };
