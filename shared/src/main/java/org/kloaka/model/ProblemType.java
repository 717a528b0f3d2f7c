package org.kloaka.model;

/** The {@code problem} field of a problem record. */
public enum ProblemType {
  /** Upstream runs fuller than downstream (a pair). */
  OBSTRUCTION,
  /** Downstream runs fuller than upstream (a pair). */
  PROBLEM,
  /** One sensor has sent nothing for longer than the silence window (docs/problems.md). */
  SILENT
}
