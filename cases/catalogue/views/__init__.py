"""Public HTML pages of the catalogue; each module serves one kind of page (see ``cases.catalogue``)."""
