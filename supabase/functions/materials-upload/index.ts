// POST /functions/v1/materials-upload (multipart/form-data: team_id, file) -> 201 {material}
// 413 over 10 MB or over the team's 50 MB, 415 unsupported type, 422 unreadable file.
import { authenticate } from "../_shared/http/auth.ts";
import { createHandler, json } from "../_shared/http/handler.ts";
import { parseUpload, uploadMaterial } from "../_shared/domain/materials.ts";

const handler = createHandler({ name: "materials-upload", methods: ["POST"] }, async ({ request }) => {
  const caller = await authenticate(request);
  const upload = await parseUpload(request);
  const material = await uploadMaterial(caller, upload);
  return json({ material }, 201);
});

export default { fetch: handler };
