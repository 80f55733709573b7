CREATE TABLE IF NOT EXISTS "capa_schema_migrations" (
  version INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE "capa_records" (
  tenant_id TEXT COLLATE "C" NOT NULL,
  id TEXT COLLATE "C" NOT NULL,
  kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('finding', 'action')),
  version BIGINT NOT NULL,
  head TEXT COLLATE "C",
  status TEXT COLLATE "C" NOT NULL,
  open BOOLEAN NOT NULL,
  grade TEXT COLLATE "C",
  source TEXT COLLATE "C",
  owner_id TEXT COLLATE "C",
  requirement TEXT COLLATE "C",
  cause_category TEXT COLLATE "C",
  due_date TEXT COLLATE "C",
  raised_at TEXT COLLATE "C" NOT NULL,
  last_activity_at TEXT COLLATE "C" NOT NULL,
  search_text BYTEA NOT NULL,
  document JSON NOT NULL,
  PRIMARY KEY (tenant_id, id)
);

CREATE INDEX "capa_records_by_raised" ON "capa_records" (tenant_id, kind, raised_at, id);

CREATE INDEX "capa_records_by_status" ON "capa_records" (tenant_id, kind, status, raised_at, id);

CREATE INDEX "capa_records_open_by_due" ON "capa_records" (tenant_id, kind, due_date) WHERE open = TRUE;

CREATE INDEX "capa_records_open_by_owner" ON "capa_records" (tenant_id, kind, owner_id, raised_at, id) WHERE open = TRUE;

CREATE INDEX "capa_records_by_requirement" ON "capa_records" (tenant_id, kind, requirement, raised_at);

CREATE INDEX "capa_records_by_cause" ON "capa_records" (tenant_id, kind, cause_category, raised_at);

CREATE INDEX "capa_records_by_activity" ON "capa_records" (tenant_id, kind, last_activity_at);

CREATE TABLE "capa_events" (
  tenant_id TEXT COLLATE "C" NOT NULL,
  record_id TEXT COLLATE "C" NOT NULL,
  sequence BIGINT NOT NULL,
  tenant_sequence BIGINT NOT NULL,
  entry TEXT NOT NULL,
  PRIMARY KEY (tenant_id, record_id, sequence)
);

CREATE UNIQUE INDEX "capa_events_by_tenant_sequence" ON "capa_events" (tenant_id, tenant_sequence);

CREATE TABLE "capa_sequences" (
  tenant_id TEXT COLLATE "C" NOT NULL,
  name TEXT COLLATE "C" NOT NULL CHECK (name IN ('events', 'references')),
  value BIGINT NOT NULL,
  PRIMARY KEY (tenant_id, name)
);

CREATE TABLE "capa_idempotency" (
  tenant_id TEXT COLLATE "C" NOT NULL,
  key TEXT COLLATE "C" NOT NULL,
  result TEXT NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, key)
);

CREATE TABLE "capa_outbox" (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id TEXT COLLATE "C" NOT NULL,
  tenant_sequence BIGINT NOT NULL,
  record_id TEXT COLLATE "C" NOT NULL,
  sequence BIGINT NOT NULL,
  entry TEXT NOT NULL
);

INSERT INTO "capa_schema_migrations" (version, name) VALUES (1, 'records, events, sequences, idempotency keys and the outbox');

DROP INDEX "capa_records_open_by_due";

DROP INDEX "capa_records_open_by_owner";

CREATE INDEX "capa_records_open_by_raised" ON "capa_records" (tenant_id, kind, open, raised_at, id, due_date) WHERE open = TRUE;

CREATE INDEX "capa_records_open_by_owner" ON "capa_records" (tenant_id, kind, open, owner_id, raised_at, id) WHERE open = TRUE;

INSERT INTO "capa_schema_migrations" (version, name) VALUES (2, 'work lists in page order: open records by raised date and by owner');

ALTER TABLE "capa_records" ADD COLUMN reference TEXT COLLATE "C";

UPDATE "capa_records" SET reference = CASE kind WHEN 'finding' THEN CASE WHEN json_typeof(document -> 'finding' -> 'reference') = 'string' THEN document -> 'finding' ->> 'reference' END ELSE CASE WHEN json_typeof(document -> 'action' -> 'reference') = 'string' THEN document -> 'action' ->> 'reference' END END;

CREATE UNIQUE INDEX "capa_records_by_reference" ON "capa_records" (tenant_id, kind, reference) WHERE reference IS NOT NULL;

ALTER TABLE "capa_sequences" DROP CONSTRAINT "capa_sequences_name_check";

UPDATE "capa_sequences" SET name = 'finding-references' WHERE name = 'references';

ALTER TABLE "capa_sequences" ADD CONSTRAINT "capa_sequences_name_check" CHECK (name IN ('events', 'finding-references', 'action-references'));

INSERT INTO "capa_schema_migrations" (version, name) VALUES (3, 'references: unique per tenant and kind, one sequence per kind');
