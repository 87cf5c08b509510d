-- The first release had one "admin" role. It is split into three
-- administrators (system, security, audit: 三员分立). Whoever was "admin" kept
-- users and configuration, so becomes the system administrator; a security
-- and an audit administrator are then named by the operator
-- (yingji user roles USERNAME --roles security_admin | audit_admin).
UPDATE users
   SET roles = {{trim|btrim}}(replace(',' || roles || ',', ',admin,', ',system_admin,'), ',')
 WHERE ',' || roles || ',' LIKE '%,admin,%';
