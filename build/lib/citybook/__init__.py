"""The curriculum's own code: sample city, charts, book rendering and course tools."""
