"""The unit portal (`thidua web`): server-rendered pages, no JavaScript, on the application's database.

Units reach their page through the personal link in their messages (`/u/<token>`); the standing
agency's side (`/admin`) is behind a login and disabled while no administrator is configured.
"""
