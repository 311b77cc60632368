"""What the application does, callable without Prefect: active plans, receipts, imports, reports, today's date."""
