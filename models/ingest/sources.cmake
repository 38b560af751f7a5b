# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    ingest/importer.h ingest/importer.cpp ingest/importreport.cpp
    ingest/timestampparser.h ingest/timestampparser.cpp
    ingest/jsontext.h ingest/jsontext.cpp
    ingest/recordmapper.h ingest/recordmapper.cpp
    ingest/sourceparser.h
    ingest/batchwriter.h ingest/batchwriter.cpp
    ingest/csvreader.h ingest/csvreader.cpp
    ingest/csveventparser.h ingest/csveventparser.cpp
    ingest/jsoneventparser.h ingest/jsoneventparser.cpp)
