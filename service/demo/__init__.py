"""Demo data: the region's housing corporations, a synthetic portfolio, staff and sample cases.

Everything here is made up except the names of the corporations, municipalities
and towns: no real home, tenant or case is described. Rows are marked
`synthetic = true` so that they can be told apart from imported data.
"""
