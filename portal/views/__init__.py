"""Pages of the portal core, one module per concern: public, dashboard, organizations, deadlines,
notifications, attachments, accounts."""
