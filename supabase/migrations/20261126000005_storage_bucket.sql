-- The private bucket that holds team materials (STORAGE_BUCKET_NAME, default team-materials). Objects are
-- written and read by the edge functions with the service role only: no storage.objects policy grants
-- users anything, so a user token cannot list or download another team's files. Limits match the
-- upload function's: 10 MiB per file and the four document types, detected from the bytes.

insert into storage.buckets (id, name, public, file_size_limit, allowed_mime_types)
values (
  'team-materials',
  'team-materials',
  false,
  10485760,
  array[
    'application/pdf',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
  ]
)
on conflict (id) do nothing;
