"""Table and chart builders: plain data in, DataFrames and Altair charts out; pages draw them."""
