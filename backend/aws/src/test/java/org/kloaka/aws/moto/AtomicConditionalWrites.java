package org.kloaka.aws.moto;

import java.util.concurrent.locks.ReentrantLock;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * What DynamoDB guarantees and moto_server does not: a conditional write's check and its write are
 * one atomic step. moto checks and writes without a lock, so two threads racing on one item can
 * both pass the check (docs/decisions/008 measured it; a threaded run of two senders here had 2 of
 * 10 entries claimed twice). Clients sharing one instance send their writes one at a time — only
 * the writes: reads, sends and everything else still overlap.
 */
public final class AtomicConditionalWrites implements ExecutionInterceptor {

  private final ReentrantLock lock = new ReentrantLock();

  @Override
  public void beforeTransmission(
      Context.BeforeTransmission context, ExecutionAttributes attributes) {
    if (isWrite(context.request())) {
      lock.lock();
    }
  }

  @Override
  public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
    release();
  }

  @Override
  public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
    release();
  }

  private void release() {
    while (lock.isHeldByCurrentThread()) {
      lock.unlock();
    }
  }

  private static boolean isWrite(Object request) {
    return request instanceof UpdateItemRequest
        || request instanceof PutItemRequest
        || request instanceof TransactWriteItemsRequest;
  }
}
