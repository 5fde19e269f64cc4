/** The CRM channel: tasks and contact updates as Standard-Webhooks-signed POSTs. */
package dev.mkt.channels.crm;
