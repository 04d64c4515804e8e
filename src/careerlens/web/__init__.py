"""The web dashboard and JSON API (FastAPI): ``careerlens.web.app.create_app(settings)``; run it with
`careerlens serve`."""
