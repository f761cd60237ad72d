"""The MkDocs/Material layer: the plugin and the Markdown bypass. Nothing else imports mkdocs."""
