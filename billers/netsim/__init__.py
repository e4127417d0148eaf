"""The network biller simulator: a separate small HTTP service, its own process, that plays
an upstream provider over the network (``python -m billers.netsim``, see ``__main__``).

It speaks the H2H JSON protocol of ``billers.netsim.protocol`` (the adapter is
``billers.adapters.h2h``), answers the development numbers as the in-process simulator does
(``billers.simulator``) and, reproducibly from a seed, is slow, times out, answers 5xx,
garbage or HTML, resets or refuses connections, goes into maintenance, and answers payments
pending and final later. Its switches change at run time through its control port
(``POST /control``, ``GET /control/stats``). It needs no Django settings and no database:
the standard library and ``billers.simulator`` only.
"""
