package org.kloaka.model;

/** The {@code problem} field of a problem record. */
public enum ProblemType {
  OBSTRUCTION,
  PROBLEM
}
