// SPDX-FileCopyrightText: 2026 The Portent authors
// SPDX-License-Identifier: MIT
// Placeholder until the entry point lands.
int main()
{
    return 0;
}
