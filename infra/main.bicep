// Intake on Azure: a Function App on the Flex Consumption plan (isolated worker, .NET 10) with a system-assigned
// identity, a storage account (tables, queues, blobs), a Service Bus namespace with one queue per urgency,
// Application Insights over Log Analytics, and a Key Vault for the channel secrets. The app reaches storage and
// Service Bus with its identity (no connection strings) and reads secrets through Key Vault references.
//
//   az deployment group create -g <resource-group> -f infra/main.bicep -p name=<name> signingKey=<32+ characters> [agentKeys=@agents.json] [publicBaseUrl=...] [channelSecrets=@secrets.json]
//
// The region must offer Flex Consumption (az functionapp list-flexconsumption-locations).
//
// Parameters are described in infra/README.md.

targetScope = 'resourceGroup'

@description('Base name (3-11 lowercase letters and digits; it may start with a digit). Each resource is named by a prefix of its kind, this name and a hash of the group and name: kv-<name>-<hash>, st<name><hash>, func-<name>-<hash>, ...')
@minLength(3)
@maxLength(11)
param name string

@description('Region of every resource.')
param location string = resourceGroup().location

@description('Public address customers and webhooks use (Intake:PublicBaseUrl). Empty: the Function App\'s default host name.')
param publicBaseUrl string = ''

@description('Signs the status links given to customers (Intake:SigningKey); at least 32 characters. Stored in Key Vault.')
@secure()
@minLength(32)
param signingKey string

@description('The agent API\'s keys by agent name (for example {"alice": "<32+ random characters>"}; names of letters, digits and dashes): Intake:ApiKeys, stored in Key Vault. The audit trail names the agent whose key acted. Empty: nobody can use the agent API.')
@secure()
param agentKeys object = {}

@description('Channel secrets by app-setting name (for example {"Telegram__BotToken": "..."}), stored in Key Vault. A secret left out leaves its channel off.')
@secure()
param channelSecrets object = {}

@description('Where SLA warnings and breaches are emailed (Sla:Escalation:Email, through SendGrid). Empty: no escalation email.')
param escalationEmail string = ''

@description('Telegram chat that receives SLA warnings and breaches (Sla:Escalation:TelegramChatId, numeric). Empty: none.')
param escalationTelegramChatId string = ''

@description('Non-secret settings to add or override (for example {"SendGrid__FromEmail": "support@example.com"}).')
param appSettings object = {}

@description('Most on-demand instances Flex Consumption may scale out to. At least 40: the plan\'s documentation gave 40 as the lowest maximum it accepts (newer pages give 1), and 40 holds under either; at most 1000.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Instances kept running for the HTTP functions (Flex Consumption always-ready instances, billed while idle): webhooks and status pages never wait for a cold start, whose start-up makes about twelve storage calls in a row before the worker connects. 0: none, the HTTP functions scale from zero. At most 40, within the lowest maximum instance count.')
@minValue(0)
@maxValue(40)
param alwaysReadyInstances int = 1

@description('Recover the soft-deleted Key Vault of an earlier deployment instead of creating one: true once, when this resource group was deleted and created again within the vault\'s 90-day retention (its name is reserved until then). The recovered vault\'s secrets are overwritten by this deployment\'s. With no deleted vault to recover the deployment fails, so leave it false otherwise.')
param recoverVault bool = false

@description('Memory of one instance, in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

// The ticket queues, as TicketQueues.NameFor names them (a test holds this list to the code).
var ticketQueues = [
  'tickets-urgent'
  'tickets-high'
  'tickets-normal'
  'tickets-low'
]

// Every setting that may hold a secret; only those given in channelSecrets are stored and referenced.
var secretSettings = [
  'Surveys__SigningKey'
  'SendGrid__ApiKey'
  'SendGrid__InboundUser'
  'SendGrid__InboundPassword'
  'Telegram__BotToken'
  'Telegram__SecretToken'
  'Meta__AppSecret'
  'Meta__VerifyToken'
  'Meta__PageAccessToken'
  'WhatsApp__AccessToken'
  'X__ConsumerSecret'
  'X__AccessToken'
]

// Every name starts with a letter prefix of its kind: Key Vault and Service Bus names must start with a letter, and name
// may start with a digit. The hash keeps names unique (storage, vault, namespace and app names are global) and repeats
// for the same group and name, so a redeployment updates the same resources.
var suffix = uniqueString(resourceGroup().id, name)
// 3-24 lowercase letters and digits.
var storageName = take('st${name}${suffix}', 24)
// 3-24 letters, digits and single dashes, from a letter to a letter or digit: kv- and the name (at most 15 characters)
// leave at least 9 characters of the hash.
var vaultName = take('kv-${name}-${suffix}', 24)
var deploymentContainer = 'app-package'

// Built-in role definitions.
var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataOwner: '090c5cfd-751d-490a-894a-3ce6f1109419'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: 'log-${name}-${suffix}'
  location: location
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource insights 'Microsoft.Insights/components@2020-02-02' = {
  name: 'appi-${name}-${suffix}'
  location: location
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    // Only Entra ID tokens write (the app's identity, Monitoring Metrics Publisher): the key in the connection string alone is refused.
    DisableLocalAuth: true
  }
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageName
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // Identity only: the app and the Functions host use the managed identity.
    allowSharedKeyAccess: false
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource packages 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainer
}

// Email attachments (attachments/<ticketId>/...); Intake also creates it at start.
resource attachments 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: 'attachments'
}

// Tickets live in tables and the Functions host keeps its state in queues and blobs; Intake creates its tables at start.
resource tables 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: 'sb-${name}-${suffix}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    minimumTlsVersion: '1.2'
    disableLocalAuth: true
  }
}

resource ticketQueue 'Microsoft.ServiceBus/namespaces/queues@2024-01-01' = [for queue in ticketQueues: {
  parent: serviceBus
  name: queue
  properties: {
    // Duplicate detection keys on MessageId, which Intake makes deterministic; fixed at creation.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    requiresSession: false
    maxDeliveryCount: 5
    lockDuration: 'PT1M'
    defaultMessageTimeToLive: 'P7D'
    deadLetteringOnMessageExpiration: true
  }
}]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: vaultName
  location: location
  properties: {
    // Vault names stay reserved for the soft-delete retention after the group is deleted: see recoverVault.
    createMode: recoverVault ? 'recover' : 'default'
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    publicNetworkAccess: 'Enabled'
  }
}

// Key Vault secret names allow letters, digits and dashes: Telegram__BotToken is stored as Telegram--BotToken.
// A safe access ([?]): a secret left out is skipped without indexing a key that is not there (ARM does not promise that
// && stops at a false left side).
var givenSecrets = filter(secretSettings, setting => !empty(channelSecrets[?setting] ?? ''))

resource signingKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'Intake--SigningKey'
  properties: {
    value: signingKey
  }
}

resource secret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for setting in givenSecrets: {
  parent: vault
  name: replace(setting, '__', '--')
  properties: {
    value: channelSecrets[setting]
  }
}]

// Intake__ApiKeys__alice is stored as Intake--ApiKeys--alice.
var agentKeyNames = filter(objectKeys(agentKeys), agent => !empty(agentKeys[agent]))

resource agentKeySecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [for agent in agentKeyNames: {
  parent: vault
  name: 'Intake--ApiKeys--${agent}'
  properties: {
    value: agentKeys[agent]
  }
}]

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: 'plan-${name}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: { tier: 'FlexConsumption', name: 'FC1' }
  properties: { reserved: true }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: 'func-${name}-${suffix}'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainer}'
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
        // The HTTP group ('http': every HTTP trigger) answers webhooks and pages; the queue triggers may start cold.
        alwaysReady: alwaysReadyInstances == 0 ? [] : [
          { name: 'http', instanceCount: alwaysReadyInstances }
        ]
      }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
  }
}

var appIdentity = app.identity.principalId

resource storageBlobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageBlobDataOwner)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource storageQueueRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageQueueDataContributor)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

resource storageTableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, app.id, roles.storageTableDataContributor)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// Sends (intake) and receives (triggers) on the ticket queues; Data Owner also lets the trigger scale controller read queue depth.
resource serviceBusRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: serviceBus
  name: guid(serviceBus.id, app.id, roles.serviceBusDataOwner)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataOwner)
  }
}

resource vaultRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, app.id, roles.keyVaultSecretsUser)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

resource insightsRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: insights
  name: guid(insights.id, app.id, roles.monitoringMetricsPublisher)
  properties: {
    principalId: appIdentity
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

var baseSettings = {
  // Identity-based connections: the Functions host and Intake's own clients (StorageAccount) read the account name,
  // the Service Bus triggers and ServiceBusClient the namespace.
  AzureWebJobsStorage__accountName: storage.name
  ServiceBusConnection__fullyQualifiedNamespace: '${serviceBus.name}.servicebus.windows.net'
  APPLICATIONINSIGHTS_CONNECTION_STRING: insights.properties.ConnectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
  Intake__PublicBaseUrl: empty(publicBaseUrl) ? 'https://${app.properties.defaultHostName}' : publicBaseUrl
  Intake__SigningKey: '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${signingKeySecret.name}/)'
  Sla__Escalation__Email: escalationEmail
  Sla__Escalation__TelegramChatId: escalationTelegramChatId
}

// Unversioned references: a rotated secret is picked up without a redeployment.
var secretReferences = toObject(givenSecrets, setting => setting, setting => '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/${replace(setting, '__', '--')}/)')
var agentKeyReferences = toObject(agentKeyNames, agent => 'Intake__ApiKeys__${agent}', agent => '@Microsoft.KeyVault(SecretUri=${vault.properties.vaultUri}secrets/Intake--ApiKeys--${agent}/)')

resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: union(baseSettings, appSettings, secretReferences, agentKeyReferences)
  // The roles first, so that the first start can already reach storage, the queues and the vault.
  dependsOn: [
    storageBlobRole
    storageQueueRole
    storageTableRole
    serviceBusRole
    vaultRole
    insightsRole
    secret
    agentKeySecret
    ticketQueue
    packages
    attachments
    tables
    queues
  ]
}

@description('The Function App, for `func azure functionapp publish`.')
output functionAppName string = app.name

@description('Where the app answers.')
output defaultHostName string = app.properties.defaultHostName

output storageAccountName string = storage.name
output serviceBusNamespace string = serviceBus.name
output keyVaultName string = vault.name
