package org.kloaka.model;

/** The {@code problem_status} field: only an operator moves a problem to RESOLVED. */
public enum ProblemStatus {
  UNRESOLVED,
  RESOLVED
}
