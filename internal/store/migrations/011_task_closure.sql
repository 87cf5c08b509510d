-- Termination as the seed writes it, and approval-gated tasks (issue 11).
--
-- A task that does not apply is closed as 不适用 (status 'na') with a
-- reason, which the termination approver sees.
ALTER TABLE tasks ADD COLUMN na_reason TEXT NOT NULL DEFAULT '';
-- A task the plan gates on a leader's approval (四(一)2 关闭本地网站和网上服务,
-- 需报经分管领导批准) carries its request and the decision: status '' until
-- requested, then pending, approved or rejected.
ALTER TABLE tasks ADD COLUMN approval_status TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN approval_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN approval_requested_by INTEGER;
ALTER TABLE tasks ADD COLUMN approval_requested_at INTEGER;
ALTER TABLE tasks ADD COLUMN approval_decided_by INTEGER;
ALTER TABLE tasks ADD COLUMN approval_decided_at INTEGER;
ALTER TABLE tasks ADD COLUMN approval_opinion TEXT NOT NULL DEFAULT '';
