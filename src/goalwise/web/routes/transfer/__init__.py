"""Transfer pages: the import upload with its dry run, shown before anything is stored."""
