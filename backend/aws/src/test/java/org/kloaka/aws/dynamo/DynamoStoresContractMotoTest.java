package org.kloaka.aws.dynamo;

import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.core.port.StoreContract;
import org.kloaka.core.port.Transactions;

/** The DynamoDB stores keep the ports' promises (against moto; skipped with a message without). */
@Moto
class DynamoStoresContractMotoTest extends StoreContract {

  private MotoAws aws;

  @BeforeEach
  void moto(MotoAws aws) {
    this.aws = aws;
  }

  @Override
  protected Stores open(int keep) {
    SecureRandom random = new SecureRandom();
    DynamoHistoryStore history =
        new DynamoHistoryStore(aws.db(), MotoAws.HISTORY, clock, Duration.ofDays(365), random);
    return new Stores(
        new DynamoDeviceStore(aws.db(), MotoAws.DEVICES, history, keep),
        history,
        new DynamoProblemStore(aws.db(), MotoAws.PROBLEMS, MotoAws.TIMELINE),
        new DynamoRejectStore(aws.db(), MotoAws.REJECTS, clock, Duration.ofDays(30), random),
        Transactions.DIRECT,
        new DynamoTimelineStore(aws.db(), MotoAws.TIMELINE));
  }
}
