-- SPDX-FileCopyrightText: 2026 The Portent authors
-- SPDX-License-Identifier: MIT
--
-- The reference T1568.003 hunt written as SQL over a table `events` made by the sqlite3 shell's
-- `.import --csv` of a Defender DeviceNetworkEvents export (every column TEXT). It is the
-- baseline scripts/bench.sh compares Portent's detection with. Clause for clause as the KQL, with
-- the window ending at the newest event (Portent's default; the KQL's ago(24h) would find nothing
-- in an old export). Octets follow KQL's toint(split(RemoteIP, ".")[i]): a part that is not a
-- plain decimal number is NULL, so "::ffff:1.2.3.4" has no first octet.
WITH
window AS (
    -- ISO 8601 text with seven fractional digits compares correctly as text; keep the fraction.
    SELECT strftime('%Y-%m-%dT%H:%M:%S', max(Timestamp), '-1 day') || substr(max(Timestamp), 20)
               AS since
    FROM events
),
candidates AS (
    SELECT e.*,
           CAST(RemotePort AS INTEGER) AS port,
           substr(RemoteIP, 1, instr(RemoteIP, '.') - 1) AS p1,
           substr(RemoteIP, instr(RemoteIP, '.') + 1) AS rest1
    FROM events AS e, window AS w
    WHERE e.Timestamp > w.since
      AND ActionType IN ('ConnectionSuccess', 'ConnectionAttempt')
      AND RemoteIP <> ''
      AND RemoteIPType = 'Public'
      AND RemotePort <> ''
      AND CAST(RemotePort AS INTEGER) BETWEEN 4096 AND 49151
      AND CAST(RemotePort AS INTEGER) NOT IN (8080, 8443, 8000, 8888, 9090, 9200, 9300, 9418,
                                              27017, 27018, 28017)
),
split AS (
    SELECT c.*,
           substr(rest1, 1, instr(rest1, '.') - 1) AS p2,
           substr(substr(rest1, instr(rest1, '.') + 1), 1,
                  instr(substr(rest1, instr(rest1, '.') + 1), '.') - 1) AS p3
    FROM candidates AS c
),
octets AS (
    SELECT s.*,
           CASE WHEN p1 <> '' AND p1 NOT GLOB '*[^0-9]*' THEN CAST(p1 AS INTEGER) END AS Oct1,
           CASE WHEN p2 <> '' AND p2 NOT GLOB '*[^0-9]*' THEN CAST(p2 AS INTEGER) END AS Oct2,
           CASE WHEN p3 <> '' AND p3 NOT GLOB '*[^0-9]*' THEN CAST(p3 AS INTEGER) END AS Oct3
    FROM split AS s
),
scored AS (
    SELECT o.*,
           Oct1 * Oct2 + Oct3 AS CalcPort_APT12,
           Oct1 * (Oct2 + Oct3) AS CalcPort_Variant
    FROM octets AS o
)
SELECT Timestamp, DeviceName, InitiatingProcessAccountName AS AccountName,
       InitiatingProcessFileName, InitiatingProcessFolderPath, InitiatingProcessCommandLine,
       InitiatingProcessId, RemoteUrl, RemoteIP, RemotePort, Oct1, Oct2, Oct3,
       CalcPort_APT12, CalcPort_Variant,
       CASE
           WHEN port = CalcPort_APT12 AND port = CalcPort_Variant THEN 'Both formulas'
           WHEN port = CalcPort_APT12 THEN 'APT12: (oct1*oct2)+oct3'
           ELSE 'Variant: oct1*(oct2+oct3)'
       END AS MatchedFormula,
       coalesce(port = CalcPort_APT12, 0) + coalesce(port = CalcPort_Variant, 0) AS MatchScore
FROM scored
WHERE coalesce(port = CalcPort_APT12, 0) + coalesce(port = CalcPort_Variant, 0) > 0
  AND lower(InitiatingProcessFileName) NOT IN ('svchost.exe', 'lsass.exe', 'services.exe',
                                               'wininit.exe')
ORDER BY Timestamp DESC;
