"""Long work off the request: a job record, a worker pool outside the web server's event loop, and the
progress the pages poll."""
