# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentcore PRIVATE
    ingest/importer.h ingest/importer.cpp ingest/importreport.cpp
    ingest/timestampparser.h ingest/timestampparser.cpp
    ingest/jsontext.h ingest/jsontext.cpp
    ingest/recordmapper.h ingest/recordmapper.cpp
    ingest/sourceparser.h
    ingest/batchwriter.h ingest/batchwriter.cpp
    ingest/sha256.h ingest/sha256.cpp
    ingest/chunkreader.h ingest/chunkreader.cpp
    ingest/csvreader.h ingest/csvreader.cpp
    ingest/csveventparser.h ingest/csveventparser.cpp
    ingest/jsoneventparser.h ingest/jsoneventparser.cpp)
# Source hashing uses libcrypto's SHA-256 when present (see ingest/sha256.h).
find_package(OpenSSL COMPONENTS Crypto)
if(OpenSSL_FOUND)
    target_link_libraries(portentcore PRIVATE OpenSSL::Crypto)
    target_compile_definitions(portentcore PRIVATE PORTENT_HAVE_OPENSSL)
endif()
