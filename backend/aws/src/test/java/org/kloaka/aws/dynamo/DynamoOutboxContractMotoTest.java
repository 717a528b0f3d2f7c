package org.kloaka.aws.dynamo;

import org.junit.jupiter.api.BeforeEach;
import org.kloaka.aws.moto.Moto;
import org.kloaka.aws.moto.MotoAws;
import org.kloaka.core.port.NotificationOutbox;
import org.kloaka.core.port.OutboxContract;

/** The DynamoDB outbox keeps the port's promises (against moto; skipped with a message without). */
@Moto
class DynamoOutboxContractMotoTest extends OutboxContract {

  private MotoAws aws;

  @BeforeEach
  void moto(MotoAws aws) {
    this.aws = aws;
  }

  @Override
  protected NotificationOutbox open() {
    return new DynamoOutbox(aws.db(), MotoAws.NOTIFICATIONS);
  }
}
