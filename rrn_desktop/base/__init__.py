"""The ground floor: words, paths, files and errors that every layer above may use."""
