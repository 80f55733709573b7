CREATE TABLE IF NOT EXISTS "capa_schema_migrations" (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE "capa_records" (
  tenant_id TEXT NOT NULL,
  id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('finding', 'action')),
  version INTEGER NOT NULL,
  head TEXT,
  status TEXT NOT NULL,
  open INTEGER NOT NULL,
  grade TEXT,
  source TEXT,
  owner_id TEXT,
  requirement TEXT,
  cause_category TEXT,
  due_date TEXT,
  raised_at TEXT NOT NULL,
  last_activity_at TEXT NOT NULL,
  search_text TEXT NOT NULL,
  document TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX "capa_records_by_raised" ON "capa_records" (tenant_id, kind, raised_at, id);

CREATE INDEX "capa_records_by_status" ON "capa_records" (tenant_id, kind, status, raised_at, id);

CREATE INDEX "capa_records_open_by_due" ON "capa_records" (tenant_id, kind, due_date) WHERE open = 1;

CREATE INDEX "capa_records_open_by_owner" ON "capa_records" (tenant_id, kind, owner_id, raised_at, id) WHERE open = 1;

CREATE INDEX "capa_records_by_requirement" ON "capa_records" (tenant_id, kind, requirement, raised_at);

CREATE INDEX "capa_records_by_cause" ON "capa_records" (tenant_id, kind, cause_category, raised_at);

CREATE INDEX "capa_records_by_activity" ON "capa_records" (tenant_id, kind, last_activity_at);

CREATE TABLE "capa_events" (
  tenant_id TEXT NOT NULL,
  record_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  tenant_sequence INTEGER NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (tenant_id, record_id, sequence)
);

CREATE UNIQUE INDEX "capa_events_by_tenant_sequence" ON "capa_events" (tenant_id, tenant_sequence);

CREATE TABLE "capa_sequences" (
  tenant_id TEXT NOT NULL,
  name TEXT NOT NULL CHECK (name IN ('events', 'references')),
  value INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE "capa_idempotency" (
  tenant_id TEXT NOT NULL,
  key TEXT NOT NULL,
  result TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE "capa_outbox" (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL,
  tenant_sequence INTEGER NOT NULL,
  record_id TEXT NOT NULL,
  sequence INTEGER NOT NULL,
  entry TEXT NOT NULL
);

INSERT INTO "capa_schema_migrations" (version, name) VALUES (1, 'records, events, sequences, idempotency keys and the outbox');

DROP INDEX "capa_records_open_by_due";

DROP INDEX "capa_records_open_by_owner";

CREATE INDEX "capa_records_open_by_raised" ON "capa_records" (tenant_id, kind, open, raised_at, id, due_date) WHERE open = 1;

CREATE INDEX "capa_records_open_by_owner" ON "capa_records" (tenant_id, kind, open, owner_id, raised_at, id) WHERE open = 1;

INSERT INTO "capa_schema_migrations" (version, name) VALUES (2, 'work lists in page order: open records by raised date and by owner');

ALTER TABLE "capa_records" ADD COLUMN reference TEXT;

UPDATE "capa_records" SET reference = CASE kind WHEN 'finding' THEN CASE WHEN json_type(document, '$.finding.reference') = 'text' THEN json_extract(document, '$.finding.reference') END ELSE CASE WHEN json_type(document, '$.action.reference') = 'text' THEN json_extract(document, '$.action.reference') END END;

CREATE UNIQUE INDEX "capa_records_by_reference" ON "capa_records" (tenant_id, kind, reference) WHERE reference IS NOT NULL;

CREATE TABLE "capa_sequences_rebuilt" (
  tenant_id TEXT NOT NULL,
  name TEXT NOT NULL CHECK (name IN ('events', 'finding-references', 'action-references')),
  value INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

INSERT INTO "capa_sequences_rebuilt" (tenant_id, name, value) SELECT tenant_id, CASE name WHEN 'references' THEN 'finding-references' ELSE name END, value FROM "capa_sequences";

DROP TABLE "capa_sequences";

ALTER TABLE "capa_sequences_rebuilt" RENAME TO "capa_sequences";

INSERT INTO "capa_schema_migrations" (version, name) VALUES (3, 'references: unique per tenant and kind, one sequence per kind');
