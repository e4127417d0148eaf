"""Stand-ins the billers tests run on real HTTP: upstream providers' fakes that follow their
public documentation, and the small local servers of our own that the tests need."""
