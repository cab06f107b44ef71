package dev.lsr.seismic.io;

import dev.lsr.seismic.SparseVector;

/** A vector with the external id it was read with. */
public record IdVector(String id, SparseVector vector) {}
