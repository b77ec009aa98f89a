from app import create_app, runtime

app = create_app()
runtime.freeze_startup_objects()
