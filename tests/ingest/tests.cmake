# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
portent_add_test(tst_timestampparser SOURCES ingest/tst_timestampparser.cpp)
portent_add_test(tst_csvimport SOURCES ingest/tst_csvimport.cpp ingest/importtesthelpers.h)
portent_add_test(tst_jsonimport SOURCES ingest/tst_jsonimport.cpp ingest/importtesthelpers.h)
portent_add_test(tst_realimport SOURCES ingest/tst_realimport.cpp ingest/importtesthelpers.h)
portent_add_test(tst_sha256 SOURCES ingest/tst_sha256.cpp)
