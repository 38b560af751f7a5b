# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
target_sources(portentui PRIVATE
    activitylog.h activitylog.cpp
    breakdownpanel.h breakdownpanel.cpp
    chartspanel.h chartspanel.cpp
    detectioncontroller.h detectioncontroller.cpp
    groupsview.h groupsview.cpp
    importcontroller.h importcontroller.cpp
    importprogresswidget.h importprogresswidget.cpp
    mainwindow.h mainwindow.cpp
    matchesview.h matchesview.cpp
    reportdialog.h reportdialog.cpp
    rulepanel.h rulepanel.cpp
    samplecase.h samplecase.cpp)
