"""The service: the processing path (pipeline, incremental ticks, reprocess), one tick() for
`run` and `demo`, the store view scoped to a user's gemeenten, jsonl classify/detect, import,
replay, health, eigen meldingen and retraining. Uses every layer below; the board and the CLI
call it."""
