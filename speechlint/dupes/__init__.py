"""Duplicated passages, measured in characters after normalisation.

`normalise` turns text into the characters that count (with a map back to the text),
`kgrams` finds repeats inside one document exactly, `winnow` keeps a few fingerprints per
document for the corpus, `corpus` groups shared fingerprints into passages and `report`
prints them. NumPy is imported only inside the functions that need it.
"""
