# SPDX-FileCopyrightText: 2026 The Portent authors
# SPDX-License-Identifier: MIT
# Qt item models and view-side logic for the workbench: Qt Core and Gui only, never Widgets.
target_sources(portentcore PRIVATE
    views/timedisplay.h views/timedisplay.cpp
    views/matchtablemodel.h views/matchtablemodel.cpp
    views/matchorder.h views/matchorder.cpp
    views/backgroundtask.h
    views/matchfilterproxy.h views/matchfilterproxy.cpp
    views/beacongroups.h views/beacongroups.cpp
    views/breakdown.h views/breakdown.cpp
    views/eventdetails.h views/eventdetails.cpp
    views/chartdata.h views/chartdata.cpp
    views/activitymodel.h views/activitymodel.cpp
    views/importprogress.h views/importprogress.cpp)
