"""Common library of the CRM services (see DESIGN.md, "Shared code")."""
