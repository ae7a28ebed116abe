package dev.reverserepl.launcher.launch;

import com.google.api.client.googleapis.util.Utils;
import com.google.api.services.dataflow.Dataflow;
import com.google.api.services.dataflow.model.LaunchFlexTemplateRequest;
import com.google.api.services.dataflow.model.LaunchFlexTemplateResponse;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Launches Flex Templates through the Dataflow REST API with the application-default credentials.
 */
public final class DataflowJobSubmitter implements JobSubmitter {
  private static final String SCOPE = "https://www.googleapis.com/auth/cloud-platform";

  private Dataflow dataflow;

  @Override
  public String submit(String projectId, String region, LaunchFlexTemplateRequest request) {
    try {
      LaunchFlexTemplateResponse response =
          client()
              .projects()
              .locations()
              .flexTemplates()
              .launch(projectId, region, request)
              .execute();
      return response.getJob() == null ? "<no job returned>" : response.getJob().getId();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Dataflow rejected the launch of job '"
              + request.getLaunchParameter().getJobName()
              + "': "
              + e.getMessage(),
          e);
    }
  }

  private Dataflow client() throws IOException {
    if (dataflow == null) {
      GoogleCredentials credentials =
          GoogleCredentials.getApplicationDefault().createScoped(List.of(SCOPE));
      dataflow =
          new Dataflow.Builder(
                  Utils.getDefaultTransport(),
                  Utils.getDefaultJsonFactory(),
                  new HttpCredentialsAdapter(credentials))
              .setApplicationName("reverse-replication-launcher")
              .build();
    }
    return dataflow;
  }
}
