"""What a reader gets: document views (report), Jinja pages and print HTML (render), PDFs, open data and the atomic publish."""
