"""The pages' data layer: which board a page shows, where it comes from, and the cached results
of the board service, the metrics and the forecasts."""
