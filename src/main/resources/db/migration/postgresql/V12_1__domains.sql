-- Domains (issue 16): subdomains of the base domain and branded domains, and the host a link answers on.
-- short_urls.domain is '' for the standard domain, the subdomain's label, or the branded domain's
-- host; a code is unique per host.
CREATE TABLE subdomains (
    id            TEXT COLLATE "C" PRIMARY KEY,
    workspace_id  TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    subdomain     TEXT COLLATE "C" NOT NULL UNIQUE,
    name          TEXT,
    description   TEXT,
    created_at    BIGINT NOT NULL
);
CREATE TABLE branded_domains (
    id                  TEXT COLLATE "C" PRIMARY KEY,
    workspace_id        TEXT COLLATE "C" NOT NULL REFERENCES workspaces (id),
    domain              TEXT COLLATE "C" NOT NULL UNIQUE,
    name                TEXT,
    description         TEXT,
    verification_token  TEXT   NOT NULL,
    verified_at         BIGINT,
    created_at          BIGINT NOT NULL
);
ALTER TABLE short_urls ADD COLUMN url_type TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE short_urls ADD COLUMN domain TEXT COLLATE "C" NOT NULL DEFAULT '';
ALTER TABLE short_urls DROP CONSTRAINT short_urls_short_code_key;
ALTER TABLE short_urls ADD CONSTRAINT short_urls_domain_code_key UNIQUE (domain, short_code);
CREATE INDEX short_urls_workspace_code ON short_urls (workspace_id, short_code);
