import { describe, expect, it } from 'vitest';
import { normaliseSchemaDump } from '../support/schema-dump.js';

/** The shape of pg_dump's output, as versions 15 and 17 print it (17 adds transaction_timeout). */
function dump(version: '15.20' | '17.12', restrictKey: string): string {
  return `--
-- PostgreSQL database dump
--

\\restrict ${restrictKey}

-- Dumped from database version ${version}
-- Dumped by pg_dump version ${version}

SET statement_timeout = 0;
SET lock_timeout = 0;
${version.startsWith('17') ? 'SET transaction_timeout = 0;\n' : ''}SET client_encoding = 'UTF8';
SELECT pg_catalog.set_config('search_path', '', false);
SET default_table_access_method = heap;

--
-- Name: tasks; Type: TABLE; Schema: public; Owner: postgres
--

CREATE TABLE public.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL
);


--
-- Name: claim(); Type: FUNCTION; Schema: public; Owner: postgres
--

CREATE FUNCTION public.claim() RETURNS SETOF public.tasks
    LANGUAGE sql
    SET enable_sort TO 'off'
    AS $_$
-- Due rows first.
SET LOCAL work_mem = '4MB';


select * from tasks where id = any($1)
$_$;


--
-- PostgreSQL database dump complete
--

\\unrestrict ${restrictKey}

`;
}

describe('normaliseSchemaDump', () => {
  it('reads the same for pg_dump 15 and 17, whatever the run', () => {
    expect(normaliseSchemaDump(dump('15.20', 'mS2rfT3rV4'))).toBe(normaliseSchemaDump(dump('17.12', 'AsbxfZtMIO')));
  });

  it('keeps the statements only, one blank line between them, and function bodies as written', () => {
    expect(normaliseSchemaDump(dump('15.20', 'mS2rfT3rV4'))).toBe(`CREATE TABLE public.tasks (
    id uuid DEFAULT gen_random_uuid() NOT NULL
);

CREATE FUNCTION public.claim() RETURNS SETOF public.tasks
    LANGUAGE sql
    SET enable_sort TO 'off'
    AS $_$
-- Due rows first.
SET LOCAL work_mem = '4MB';


select * from tasks where id = any($1)
$_$;
`);
  });
});
