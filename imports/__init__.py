"""Input files: plan files, unit directories, scores and nominees, read all or nothing with errors naming file, field and value."""
