"""Duplicated passages, measured in characters after normalisation.

`normalise` turns text into the characters that count (with a map back to the text),
`kgrams` finds repeats inside one document exactly, `winnow` keeps a few fingerprints per
document for the corpus, `corpus` groups shared fingerprints into passages and `report`
prints them; `memory` hands the heap a large corpus stage frees back to the system. NumPy
is imported only inside the functions that need it.
"""
